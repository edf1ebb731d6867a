/**
 * The demo's ids and logins (seed.ts creates them; the banner prints them). A module of its own so that the banner
 * does not load the services the seeding uses.
 */
export const DEMO = {
  merchantId: "mch_demo_beibei",
  programId: "prg_demo_beibei",
  apiKey: "fxk_demo_beibei_0000000000000000",
  /** Public (README, banner, login page); not on the common-password list, so it passes the password rules. */
  password: "fenxiao-demo",
  platformAdmin: "admin@fenxiao.local",
  merchantAdmin: "merchant@beibei.demo",
  promoterEmail: (i: number) => `promoter${i}@beibei.demo`,
} as const;
