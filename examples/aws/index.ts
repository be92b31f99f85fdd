import { awsDeployment } from "./program";

const outputs = awsDeployment();
export const manifestObject = outputs.manifestObject;
export const jobId = outputs.jobId;
export const patchVersion = outputs.patchVersion;
export const applicationInstanceId = outputs.applicationInstanceId;
export const deployedPackages = outputs.deployedPackages;
