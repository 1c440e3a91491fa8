/** The languages of the lab: every experiment's text comes in each. */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
