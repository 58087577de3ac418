import type * as ros from '@alicloud/ros-cdk-core';
import type { ServiceModel } from '../service-config/model';
import { inCanonicalOrder, type RosTemplate } from './ros/template';
import { ServiceStack } from './stacks/service-stack';
import { SynthError } from './synth-error';

/** ROS refuses a stack with more resources than this. */
export const MAX_RESOURCES = 300;
/** ROS stack names: a letter, then letters, digits and hyphens. */
export const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,254}$/;

/**
 * Builds the template of the service's template family in memory (no App, nothing on disk), in canonical
 * section order, and applies the checks that ROS CDK only makes on its disk path.
 */
export function buildTemplate(model: ServiceModel): RosTemplate {
  const stackName = model.service.template.name;
  if (!STACK_NAME.test(stackName)) {
    throw new SynthError(
      'InvalidStackName',
      `"${stackName}" is not a valid stack name (a letter, then letters, digits and hyphens)`,
      ['service', 'template', 'name'],
    );
  }
  const stack = new ServiceStack(undefined as unknown as ros.Construct, stackName, { model });
  // `_toRosTemplate` is internal but is what ROS CDK's own synthesis writes (verified identical).
  const template = (stack as unknown as { _toRosTemplate(): RosTemplate })._toRosTemplate();
  checkResourceCount(template);
  return inCanonicalOrder(template);
}

/** ROS CDK checks the resource limit only when it synthesizes to disk; the in-memory path checks here. */
export function checkResourceCount(template: RosTemplate): void {
  const count = Object.keys(template.Resources ?? {}).length;
  if (count > MAX_RESOURCES) {
    throw new SynthError(
      'TooManyResources',
      `the template has ${count} resources; ROS allows at most ${MAX_RESOURCES}`,
    );
  }
}
