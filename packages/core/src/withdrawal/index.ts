export * from "./check.ts";
export * from "./fee.ts";
export * from "./postings.ts";
export * from "./preview.ts";
export * from "./settings.ts";
export * from "./state.ts";
