// pnpm hooks. `beforePacking` shapes the package.json of a package as `pnpm pack` and
// `pnpm publish` write it (the file in the repository stays as it is); only packages
// that are not `private` are published (today @claimwire/sdk). Why ranges and not the
// catalog's exact versions: docs/decisions/0003-sdk-publish-dependency-ranges.md.

/** `1.2.3` → `^1.2.3`; anything that is already a range (or a tag) stays as written. */
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;

module.exports = {
  hooks: {
    beforePacking(pkg) {
      if (pkg.private) return pkg;
      // pnpm has already replaced `catalog:` with the catalog's exact version, the one the
      // workspace is tested with: publish it as the lowest of a caret range, so that a
      // consumer's package manager can share one copy of zod or tRPC with its other
      // dependencies.
      for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
        for (const [name, version] of Object.entries(pkg[field] ?? {})) {
          if (EXACT_VERSION.test(version)) pkg[field][name] = `^${version}`;
        }
      }
      // Build and test tools, and our workspace packages (bundled into dist/, never
      // published): nothing a consumer installs or runs.
      delete pkg.devDependencies;
      delete pkg.scripts;
      return pkg;
    },
  },
};
