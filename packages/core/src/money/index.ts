export * from "./money.ts";
export * from "./decimal.ts";
