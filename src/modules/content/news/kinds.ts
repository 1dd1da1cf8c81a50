import type { NewsKind } from '../../../db/schema.js';

export const NEWS_KINDS_LIST: readonly NewsKind[] = ['news', 'announcement'];
