import type { TemplateRule } from '../model';
import { indexOf } from '../ros/template-index';
import { unknownEntryKeys } from '../ros/unknown-keys';
import { PARAMETER_KEYS } from '../../../cdk/ros/vocabulary';

export const unknownParameterKey: TemplateRule = {
  id: 'unknown-parameter-key',
  scope: 'template',
  severity: 'warning',
  short: 'A parameter declares a property ROS does not document.',
  long:
    'Parameters accept Type, Default, AllowedValues, AllowedPattern, Min/MaxLength, Min/MaxValue, NoEcho, ' +
    'Description, ConstraintDescription, Label, AssociationProperty(Metadata), Confirm, TextArea, Placeholder ' +
    'and the console\'s Required. Anything else is ignored at best; a misspelt "Defualt" silently drops the default.',
  docUrl: 'https://www.alibabacloud.com/help/en/ros/user-guide/parameters',
  appliesTo: ['Parameters/*/*'],
  check(context) {
    return unknownEntryKeys(
      context.doc,
      'Parameters',
      indexOf(context).parameters,
      PARAMETER_KEYS,
      'parameter',
    );
  },
};
