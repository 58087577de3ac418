import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';
import { ASSOCIATION_WIDGETS } from '../../../cdk/ros/vocabulary';
import { closest } from '../../../service-config/suggest';

/** `ALIYUN::<Product>::<Resource>::<Property>`; products and resources are alphanumeric. */
const RESOURCE_PROPERTY = /^ALIYUN::[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;
/** The console's list widget, e.g. `List[Parameters]`. */
const LIST_WIDGET = /^List\[[A-Za-z0-9]+\]$/;

export const associationProperty: TemplateRule = {
  id: 'association-property',
  scope: 'template',
  severity: 'warning',
  short: 'An AssociationProperty is neither ALIYUN::<Product>::<Resource>::<Property> nor a known widget.',
  long:
    'AssociationProperty picks the console widget for a parameter: a resource property written ' +
    'ALIYUN::<Product>::<Resource>::<Property> (e.g. ALIYUN::ECS::Instance::ZoneId) or a widget name such as ' +
    'ChargeType, PayPeriod or FileContent. A malformed value (a single colon, a typo) falls back to a plain ' +
    'text box, so the buyer types an id by hand.',
  docUrl:
    'https://www.alibabacloud.com/help/en/ros/user-guide/associationproperty-and-associationpropertymetadata',
  appliesTo: ['Parameters/*/AssociationProperty'],
  check(context) {
    return Object.entries(indexOf(context).parameters).flatMap(([name, parameter]) => {
      const value = parameter.AssociationProperty;
      if (value === undefined || isWellFormed(value)) return [];
      return [
        {
          where: { doc: context.doc, path: ['Parameters', name, 'AssociationProperty'] },
          message: `AssociationProperty ${JSON.stringify(value)} of parameter "${name}" is not well-formed${suggestion(String(value))}`,
        },
      ];
    });
  },
};

function isWellFormed(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    (RESOURCE_PROPERTY.test(value) || ASSOCIATION_WIDGETS.includes(value) || LIST_WIDGET.test(value))
  );
}

function suggestion(value: string): string {
  const repaired = value
    .trim()
    .replace(/\s+/g, '')
    .replace(/:+/g, '::')
    .replace(/^aliyun::/i, 'ALIYUN::');
  if (RESOURCE_PROPERTY.test(repaired)) return ` (did you mean "${repaired}"?)`;
  const widget = closest(value, ASSOCIATION_WIDGETS);
  return widget
    ? ` (did you mean "${widget}"?)`
    : '; expected ALIYUN::<Product>::<Resource>::<Property> or a widget name';
}
