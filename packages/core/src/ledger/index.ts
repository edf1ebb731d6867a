export * from "./accounts.ts";
export * from "./postings.ts";
export * from "./recipes.ts";
