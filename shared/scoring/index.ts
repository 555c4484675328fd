export * from "./completeness";
export * from "./days";
export * from "./engagement";
export * from "./person-score";
export * from "./round";
export * from "./types";
export * from "./weighting";
