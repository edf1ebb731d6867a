import type { Clock } from "./clock.ts";
import type { Db } from "./db/client.ts";

export interface AppConfig {
  /** Public base URL used in links and redirects, e.g. http://localhost:3000 */
  publicUrl: string;
  /** Session lifetime in hours. */
  sessionHours: number;
}

export interface AppContext {
  db: Db;
  clock: Clock;
  config: AppConfig;
}
