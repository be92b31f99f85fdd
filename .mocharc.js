// Every test file under tests/, TypeScript through ts-node. Long timeout: end-to-end tests drive
// the real Pulumi engine; individual tests set tighter bounds where they wait on purpose.
module.exports = {
  require: ["ts-node/register/transpile-only"],
  extension: ["ts"],
  spec: ["tests/**/*.test.ts"],
  timeout: 120000,
  slow: 5000,
};
