#!/usr/bin/env node
// Links node_modules/pulumi-panorama to this checkout, so the demo, the examples and the
// serialized provider shims resolve the package by its name exactly as installed users do.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-panorama");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
} catch {
  /* not a link yet */
}
fs.rmSync(link, { recursive: true, force: true });
fs.symlinkSync("..", link, "dir");
