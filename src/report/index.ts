import type { Lang } from '../i18n/index.js';
import type { Format } from '../options.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderPrometheus } from './prometheus.js';
import { renderable, type RunReport } from './report.js';
import { renderText, type TextStyle } from './text.js';

/** How to render: the format and language, and for text the style (colours, notes, width). */
export interface RenderOptions extends TextStyle {
  readonly format: Format;
  readonly lang: Lang;
  readonly showPersonalData: boolean;
}

/** Every report leaves the program through here: one language, redacted, formatted. */
export function renderReport(report: RunReport, options: RenderOptions): string {
  const rendered = renderable(report, options.lang, options.showPersonalData);
  switch (options.format) {
    case 'json':
      return renderJson(rendered);
    case 'markdown':
      return renderMarkdown(rendered);
    case 'prometheus':
      return renderPrometheus(rendered);
    case 'text':
      return renderText(rendered, { colorLevel: options.colorLevel, verbose: options.verbose, showNotes: options.showNotes, width: options.width });
  }
}
