// Maps the tsconfig path aliases (@switchboard/*) for jest, from the one place they are declared.
const path = require('node:path');
const { compilerOptions } = require('../tsconfig.base.json');

exports.pathsToModuleNameMapper = () =>
  Object.fromEntries(
    Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
      `^${alias.replace('/', '\\/')}$`,
      path.join(__dirname, '..', target),
    ]),
  );
