export * from "./attribution/index.ts";
export * from "./commission/types.ts";
export * from "./ledger/index.ts";
export * from "./money/index.ts";
