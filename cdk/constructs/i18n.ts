import type { LocalizedText } from '../../service-config/model';

/** ROS labels and descriptions are maps keyed `en` / `zh-cn` (lower case, unlike ServiceInfo locales). */
export type RosText = { en: string; 'zh-cn': string };

export function rosText(en: string, zh: string): RosText {
  return { en, 'zh-cn': zh };
}

export function fromLocalized(text: LocalizedText): RosText {
  return rosText(text['en-US'], text['zh-CN']);
}

/**
 * Parameter labels and output labels and descriptions are typed as strings although ROS takes the
 * localized map (ROS CDK gotcha 7); this is the one place that casts.
 */
export function asLabel(text: RosText): string {
  return text as unknown as string;
}
