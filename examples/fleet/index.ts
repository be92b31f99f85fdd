import { fleet } from "./program";

const outputs = fleet();
export const waves = outputs.waves;
export const packages = outputs.packages;
export const deployments = outputs.deployments;
