/**
 * Entry point for the ROS CDK CLI (`cdk.json`: `ros-cdk synth`), writing `cdk.out/<Stack>.template.json`
 * as the CLI expects. `nestkit synth` builds the same stack in memory and writes `templates/`.
 */
import * as ros from '@alicloud/ros-cdk-core';
import { loadServiceConfig } from '../service-config/load';
import { ServiceStack } from './stacks/service-stack';

const model = loadServiceConfig(process.env.NESTKIT_SERVICE_CONFIG);
const app = new ros.App({
  outdir: process.env.CDK_OUTDIR ?? 'cdk.out',
  stackTraces: false,
  treeMetadata: false,
});
new ServiceStack(app, model.service.template.name, { model });
app.synth();
