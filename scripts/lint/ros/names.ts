/** What a `Ref`, an `Fn::GetAtt` or an `Fn::Sub` variable may name in a template. */
import type { TemplateIndex } from './template-index';
import { PSEUDO_PARAMETERS } from '../../../cdk/ros/vocabulary';

/** Names `Ref` resolves: parameters, resources, locals and pseudo parameters. */
export function refTargets(index: TemplateIndex): Set<string> {
  return new Set([
    ...Object.keys(index.parameters),
    ...Object.keys(index.resources),
    ...index.locals,
    ...PSEUDO_PARAMETERS,
  ]);
}

/** Names `Fn::GetAtt` resolves: resources and locals (a local may be a resource or data source). */
export function attributeOwners(index: TemplateIndex): Set<string> {
  return new Set([...Object.keys(index.resources), ...index.locals]);
}
