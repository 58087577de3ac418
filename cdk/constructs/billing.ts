import * as ros from '@alicloud/ros-cdk-core';
import { asLabel, rosText } from './i18n';

/**
 * The Marketplace-friendly billing parameters (PayType / PayPeriodUnit / PayPeriod) that feed the charge
 * type and period of every billable resource. With `MapOrderParameterToMarket` the Marketplace order fills
 * them [I: exact runtime mapping inferred from the Compute Nest docs].
 */
export class Billing extends ros.Construct {
  readonly payType: ros.RosParameter;
  readonly payPeriodUnit: ros.RosParameter;
  readonly payPeriod: ros.RosParameter;

  constructor(scope: ros.Construct, id: string) {
    super(scope, id);
    const prepaidOnly = {
      Visible: { Condition: { 'Fn::Not': { 'Fn::Equals': ['${PayType}', 'PostPaid'] } } },
    };
    this.payType = new ros.RosParameter(scope, 'PayType', {
      type: ros.RosParameterType.STRING,
      associationProperty: 'ChargeType',
      associationPropertyMetadata: { LocaleKey: 'InstanceChargeType' },
      allowedValues: ['PostPaid', 'PrePaid'],
      defaultValue: 'PostPaid',
      label: asLabel(rosText('Charge type', '付费类型')),
    });
    this.payPeriodUnit = new ros.RosParameter(scope, 'PayPeriodUnit', {
      type: ros.RosParameterType.STRING,
      associationProperty: 'PayPeriodUnit',
      associationPropertyMetadata: prepaidOnly,
      allowedValues: ['Month', 'Year'],
      defaultValue: 'Month',
      label: asLabel(rosText('Billing period unit', '购买时长单位')),
    });
    this.payPeriod = new ros.RosParameter(scope, 'PayPeriod', {
      type: ros.RosParameterType.NUMBER,
      associationProperty: 'PayPeriod',
      associationPropertyMetadata: prepaidOnly,
      allowedValues: [1, 2, 3, 4, 5, 6, 7, 8, 9],
      defaultValue: 1,
      label: asLabel(rosText('Billing period', '购买时长')),
    });
  }

  static readonly parameterNames = ['PayType', 'PayPeriodUnit', 'PayPeriod'];
}
