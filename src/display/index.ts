/** Display helpers for notebook outputs: multi-mime bundles, trimmed JSON, tables, charts, danfojs. */
export * from "./mime";
export * from "./json";
export * from "./table";
export * from "./plot";
export * from "./danfo";
