import type { Config } from "./config";
import type { Db } from "./db/create-db";

/** What every route and service needs; tests build one with a fixed clock. */
export interface Deps {
  db: Db;
  config: Config;
  /** The current time; injected so scoring windows are testable. */
  clock: () => Date;
}
