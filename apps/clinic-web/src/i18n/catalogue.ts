import type { en } from "./en.ts";

/** The app's languages: the browser's choice among these, else English. */
export const LANGUAGES = ["en", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The shape every catalogue has: each key of the English one, as a string. Extra keys are
 * allowed only for the plural forms a language has beyond English's `_one` and `_other`
 * (Russian's `_few` and `_many`); catalogues.test.ts checks there are no others.
 */
export type Catalogue = {
  [Group in keyof typeof en]: { [Key in keyof (typeof en)[Group]]: string } & Record<
    string,
    string
  >;
};
