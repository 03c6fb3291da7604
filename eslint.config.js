import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", "app/generated/", ".cache/", ".data/", "tests/.results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
      "no-restricted-properties": [
        "error",
        {
          object: "request",
          property: "formData",
          message: "Read forms with parseForm (app/server/form-input.server.ts): it bounds the body before parsing.",
        },
      ],
    },
  },
  {
    files: ["prisma/**/*.ts", "tests/**/*.ts", "app/server/main.ts", "app/cli/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
