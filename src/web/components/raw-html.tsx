/**
 * The one explicit opt-out of escaping: only for HTML the platform produced itself and
 * sanitised (rendered Markdown, server-drawn SVG). Never pass user input here directly.
 */
export function SanitisedHtml({ html, class: cls }: { html: string; class?: string }) {
  return <div class={cls} dangerouslySetInnerHTML={{ __html: html }} />;
}
