// Preloaded (node -r) into a poller process in tests: fails any require() that resolves into a devDependency or a
// peer dependency, proving that `node dist/src/cli/main.js poll` runs with production dependencies only, as in the
// image (which installs with --omit=dev --omit=peer).
const Module = require("node:module");
const path = require("node:path");
const pkg = require(path.resolve(__dirname, "../../package.json"));
const forbidden = new Set([
  ...Object.keys(pkg.devDependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
]);
for (const name of Object.keys(pkg.dependencies ?? {})) forbidden.delete(name);

const original = Module._resolveFilename;
Module._resolveFilename = function resolveWithoutDevDeps(request, parent, ...rest) {
  const resolved = original.call(this, request, parent, ...rest);
  const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(resolved);
  const fromProject = parent?.filename && !parent.filename.includes(`${path.sep}node_modules${path.sep}`);
  if (match && fromProject) {
    const name = match[1].replace(/\\/g, "/");
    if (forbidden.has(name)) {
      throw new Error(
        `the poller required "${name}", which the image does not ship (dev or peer dependency)`,
      );
    }
  }
  return resolved;
};
