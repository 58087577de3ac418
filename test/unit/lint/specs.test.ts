import { buildSpecs, parseGenerated } from '../../../scripts/lint/specs/generate';
import { RESOURCE_SPECS, propertyProblems, resourceSpec } from '../../../scripts/lint/specs';

describe('ROS resource specifications from the ROS CDK packages', () => {
  it('are what the installed packages generate (run `npm run lint:specs` after changing them)', () => {
    expect(buildSpecs()).toEqual(RESOURCE_SPECS);
  });

  it('cover every ROS CDK package package.json names that carries resource classes', () => {
    expect(Object.keys(RESOURCE_SPECS.packages)).toEqual(
      expect.arrayContaining(['@alicloud/ros-cdk-ecs', '@alicloud/ros-cdk-oss', '@alicloud/ros-cdk-rds']),
    );
    expect(Object.keys(RESOURCE_SPECS.resources).length).toBeGreaterThan(200);
  });

  it('know names, required properties, types and nested structures', () => {
    const group = resourceSpec('ALIYUN::ECS::InstanceGroup')!;
    expect(group.properties.MaxAmount).toEqual({ type: 'number', required: true });
    expect(group.properties.AllocatePublicIP).toEqual({ type: 'boolean' });
    expect(group.properties.SecurityGroupIds.type).toEqual({ list: 'string' });
    expect(group.properties.DiskMappings.type).toMatchObject({
      list: { properties: { Size: { type: 'string', required: true } } },
    });
    expect(resourceSpec('ALIYUN::NOPE::Thing')).toBeUndefined();
    expect(resourceSpec('toString')).toBeUndefined();
  });

  it('reads a generated class: its mapper for names and types, its validator for what is required', () => {
    const source = [
      'function RosThingPropsValidator(properties) {',
      "    errors.collect(ros.propertyValidator('name', ros.requiredValidator)(properties.name));",
      '}',
      'function rosThingPropsToRosTemplate(properties, enableResourcePropertyConstraint) {',
      '    RosThingPropsValidator(properties).assertSuccess();',
      '    return {',
      "        'Name': ros.stringToRosTemplate(properties.name),",
      "        'Sizes': ros.listMapper(ros.numberToRosTemplate)(properties.sizes),",
      "        'Labels': ros.hashMapper(ros.objectToRosTemplate)(properties.labels),",
      '    };',
      '}',
      'RosThing.ROS_RESOURCE_TYPE_NAME = "ALIYUN::X::Thing";',
    ].join('\n');
    expect(parseGenerated(source)).toEqual({
      'ALIYUN::X::Thing': {
        properties: {
          Name: { type: 'string', required: true },
          Sizes: { type: { list: 'number' } },
          Labels: { type: { map: 'any' } },
        },
      },
    });
  });

  it('judges literals as ROS reads them and leaves function results alone', () => {
    const spec = resourceSpec('ALIYUN::ECS::InstanceGroup')!;
    const base = { ImageId: 'm-1', InstanceType: 'ecs.c6.large' };
    expect(propertyProblems({ ...base, MaxAmount: '2', AllocatePublicIP: 'true' }, spec, [])).toEqual([]);
    expect(propertyProblems({ ...base, MaxAmount: { Ref: 'Count' } }, spec, [])).toEqual([]);
    expect(propertyProblems({ ...base, MaxAmount: 'two' }, spec, []).map((p) => p.kind)).toEqual(['type']);
    expect(propertyProblems({ ...base, MaxAmount: null }, spec, []).map((p) => p.kind)).toEqual(['required']);
  });
});
