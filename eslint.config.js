// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

/**
 * Package boundaries (DESIGN.md, issue 14): the workspace packages each package's source may
 * import. Every other package of ours is refused, statically or through `import()`, and so are
 * ink and react everywhere but cli.
 */
const mayImport = {
  "model-spec": [],
  wire: ["model-spec"],
  auth: ["model-spec"],
  gateway: ["model-spec", "wire", "auth"],
  // And @hedge/gateway: `import type` anywhere, loaded lazily (`await import`) only in the
  // embedded client's files, so a remote-only process never evaluates the gateway.
  "gateway-client": ["model-spec", "wire"],
  core: ["model-spec", "gateway-client"],
  testkit: ["model-spec", "wire"],
  daemon: ["model-spec", "auth", "core"],
  evals: ["model-spec", "gateway-client", "core"],
  // And @hedge/gateway in the composition root (src/composition/) only. testkit is dev-only.
  cli: ["model-spec", "wire", "auth", "gateway-client", "core", "daemon", "evals"],
};
const uiLibraries = ["ink", "react"];
const embeddedClientFiles = ["packages/gateway-client/src/embedded*.ts"];
const compositionRoot = ["packages/cli/src/composition/**/*.{ts,tsx}"];
/**
 * The one cli file outside src/composition/ that reads the gateway: the whole config's schema,
 * which includes the gateway's sections. It may import `@hedge/gateway/config` (zod schemas and
 * provider presets: data, no runtime) and nothing else of the gateway.
 */
const gatewayConfigReaders = ["packages/cli/src/config/schema.ts"];

/**
 * Rules refusing imports in one package's source: `refused` statically and through `import()`,
 * except `typeOnly` (allowed as `import type`) and `lazy` (allowed through `import()`).
 */
function refuseImports(name, refused, { typeOnly = [], lazy = [] } = {}) {
  const message = (target) => `DESIGN.md: packages/${name} may not import ${target}.`;
  return {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        paths: refused.map((target) => ({
          name: target,
          message: typeOnly.includes(target)
            ? `${message(target)} Use \`import type\` (or \`await import\` where allowed).`
            : message(target),
          allowTypeImports: typeOnly.includes(target),
        })),
        // A package's subpath entries (`@hedge/gateway/config`) are that package too.
        patterns: refused.map((target) => ({
          group: [`${target}/*`],
          message: message(target),
          allowTypeImports: typeOnly.includes(target),
        })),
      },
    ],
    "no-restricted-syntax": [
      "error",
      ...refused
        .filter((target) => !lazy.includes(target))
        .flatMap((target) => [
          { selector: `ImportExpression[source.value='${target}']`, message: message(target) },
          {
            selector: `ImportExpression[source.value=/^${target.replace("/", "\\/")}\\//]`,
            message: message(target),
          },
        ]),
    ],
  };
}

/** The boundary config blocks of one package. */
function boundaryBlocks(name) {
  const files = [`packages/${name}/src/**/*.{ts,tsx}`];
  const refused = [
    ...Object.keys(mayImport)
      .filter((other) => other !== name && !mayImport[name].includes(other))
      .map((other) => `@hedge/${other}`),
    ...(name === "cli" ? [] : uiLibraries),
  ];
  if (name === "gateway-client") {
    const typeOnly = ["@hedge/gateway"];
    return [
      { files, ignores: embeddedClientFiles, rules: refuseImports(name, refused, { typeOnly }) },
      {
        files: embeddedClientFiles,
        rules: refuseImports(name, refused, { typeOnly, lazy: ["@hedge/gateway"] }),
      },
    ];
  }
  if (name === "cli") {
    const allowed = [...compositionRoot, ...gatewayConfigReaders];
    const withoutGateway = refused.filter((target) => target !== "@hedge/gateway");
    const configOnly = refuseImports(name, withoutGateway);
    const [level, restricted] = configOnly["@typescript-eslint/no-restricted-imports"];
    configOnly["@typescript-eslint/no-restricted-imports"] = [
      level,
      {
        paths: [
          ...restricted.paths,
          {
            name: "@hedge/gateway",
            message:
              "Only @hedge/gateway/config here; the gateway itself loads in src/composition/.",
          },
        ],
        patterns: [
          ...restricted.patterns,
          {
            group: ["@hedge/gateway/*", "!@hedge/gateway/config"],
            message: "Only @hedge/gateway/config here.",
          },
        ],
      },
    ];
    return [
      { files, ignores: allowed, rules: refuseImports(name, refused) },
      { files: compositionRoot, rules: refuseImports(name, withoutGateway) },
      { files: gatewayConfigReaders, rules: configOnly },
    ];
  }
  return [{ files, rules: refuseImports(name, refused) }];
}

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/.tsbuild/**",
      "**/node_modules/**",
      "coverage/**",
      // Eval tasks are fixtures, buggy on purpose and outside every tsconfig.
      "evals/tasks/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["vitest.config.ts"] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: globals.node,
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      // `import { type X }` still loads its module: a type-only boundary needs `import type`.
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "error",
    },
  },
  ...Object.keys(mayImport).flatMap(boundaryBlocks),
  {
    files: ["packages/cli/**/*.ts", "packages/testkit/src/bin/**/*.ts", "scripts/**/*.{ts,mjs}"],
    rules: { "no-console": "off" },
  },
  // The dashboard page runs in a browser, not in Node.
  {
    files: ["packages/gateway/dashboard/src/**/*.ts"],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ["packages/gateway/dashboard/build.mjs"],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
