// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

/** Package boundaries from DESIGN.md: what each package may not import. */
const boundaries = {
  auth: ["@hedge/gateway", "@hedge/gateway-client", "@hedge/core", "@hedge/cli", "@hedge/testkit"],
  gateway: ["@hedge/gateway-client", "@hedge/core", "@hedge/cli", "@hedge/testkit"],
  "gateway-client": ["@hedge/core", "@hedge/cli", "@hedge/testkit"],
  core: ["@hedge/gateway", "@hedge/auth", "@hedge/cli", "@hedge/testkit"],
  testkit: ["@hedge/cli", "@hedge/core", "@hedge/gateway-client", "@hedge/auth"],
};
const uiLibraries = ["ink", "react"];

export default tseslint.config(
  { ignores: ["**/dist/**", "**/.tsbuild/**", "**/node_modules/**", "coverage/**"] },
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
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/only-throw-error": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": "error",
    },
  },
  ...Object.entries(boundaries).map(([name, forbidden]) => ({
    files: [`packages/${name}/src/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [...forbidden, ...uiLibraries].map((target) => ({
            name: target,
            message: `DESIGN.md: packages/${name} may not import ${target}.`,
          })),
        },
      ],
    },
  })),
  {
    files: ["packages/cli/**/*.ts", "packages/testkit/src/bin/**/*.ts", "scripts/**/*.{ts,mjs}"],
    rules: { "no-console": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
