import type { Report, TemplateRule } from '../model';
import { isRecord, type SourceDoc } from '../source/source-doc';
import { indexOf } from '../ros/template-index';
import { didYouMean } from '../../../service-config/suggest';

const LOCALES = ['en', 'zh-cn'];

export const parameterLocalized: TemplateRule = {
  id: 'parameter-localized',
  scope: 'template',
  severity: 'warning',
  short: 'A parameter Label or Description is not given in both en and zh-cn.',
  long:
    "The Compute Nest console shows Label and Description in the buyer's language when they are maps " +
    "{en: ..., zh-cn: ...} (lower-case zh-cn, unlike ServiceInfo's zh-CN). A plain string or a missing locale " +
    'shows one language to everyone.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/parameters',
  appliesTo: ['Parameters/*/Label', 'Parameters/*/Description'],
  check(context) {
    return Object.entries(indexOf(context).parameters).flatMap(([name, parameter]) =>
      ['Label', 'Description'].flatMap((field) => localeProblems(context.doc, name, field, parameter[field])),
    );
  },
};

function localeProblems(doc: SourceDoc, name: string, field: string, value: unknown): Report[] {
  if (value === undefined) return [];
  const path = ['Parameters', name, field];
  if (!isRecord(value)) {
    return [
      {
        where: { doc, path },
        message: `${field} of parameter "${name}" is not localized; give {en: ..., zh-cn: ...}`,
      },
    ];
  }
  const reports: Report[] = [];
  for (const locale of LOCALES.filter((l) => !(l in value))) {
    const stray = Object.keys(value).find((k) => !LOCALES.includes(k) && didYouMean(k, [locale]) !== '');
    reports.push({
      where: { doc, path: stray ? [...path, stray] : path, key: Boolean(stray) },
      message: `${field} of parameter "${name}" has no "${locale}" text${stray ? ` (did you mean "${locale}" instead of "${stray}"?)` : ''}`,
    });
  }
  return reports;
}
