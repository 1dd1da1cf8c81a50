export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

// biome-ignore lint: message functions take any shape of arguments
export type Msg = string | ((...args: any[]) => string);
export type Messages = Record<string, Msg>;

/**
 * One namespace of messages in both languages. The English side must have every key of
 * the Chinese side with the same shape, so an untranslated string is a type error.
 */
export function defineMessages<T extends Messages>(zh: T, en: { [K in keyof T]: T[K] extends string ? string : T[K] }) {
  return { 'zh-CN': zh, en } as { 'zh-CN': T; en: T };
}

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}
