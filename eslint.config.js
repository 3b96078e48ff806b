// Flat config: typescript-eslint's type-aware recommended rules over every TypeScript file, and
// the layers of src/ held as import rules: main → adapters → app → core (docs/ARCHITECTURE.md).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const NODE_APIS = {
  group: ["node:*", "fs", "path", "child_process"],
  message: "src/core is pure: no Node APIs.",
};
const PLATFORM_SDKS = ["discord.js", "discord.js/*", "grammy", "grammy/*", "@grammyjs/*", "@discordjs/*"];

/**
 * Which layer may import which. Exported apart so test/lint/layers.test.ts can show each rule
 * biting on a file of the layer it guards.
 */
export const layers = [
  {
    files: ["src/core/**/*.ts", "commands/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            NODE_APIS,
            {
              group: [...PLATFORM_SDKS, "execa", "lowdb", "lowdb/*", "pino", "dotenv"],
              message: "src/core and commands/ are pure: no SDKs or I/O libraries.",
            },
            {
              group: ["**/app/**", "**/adapters/**", "**/main/**"],
              message: "src/core and commands/ never import the app, an adapter or main.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/app/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/adapters/**", "**/main/**"],
              message:
                "src/app never imports an adapter or main: declare what it needs in src/app/ports/ and let main pass it in.",
            },
            {
              group: PLATFORM_SDKS,
              message: "src/app is platform-free: Telegram and Discord live in src/adapters/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/adapters/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/main/**"],
              message: "Adapters never import main: main builds them and passes in what they need.",
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "coverage/", "dist/", ".build-test-*/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  ...layers,
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
  },
);
