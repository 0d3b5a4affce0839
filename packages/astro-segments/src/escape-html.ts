const SPECIAL = /[&<>"']/g;
const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for HTML: in an element or a double- or single-quoted attribute. One pass; text
 * without a special character (most of a report's lines) comes back as it is, uncopied.
 */
export const escapeHtml = (text: string): string => text.replace(SPECIAL, (character) => ENTITY[character]!);
