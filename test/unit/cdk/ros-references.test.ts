import { referencedNames } from '../../../cdk/ros/references';
import { escapeForSub, subVariables } from '../../../cdk/ros/sub-variables';

/**
 * The cases where synth's and the linter's copies of the ROS reference logic disagreed before they became
 * one (`cdk/ros/`). Each expectation follows the ROS reference (Fn::Sub, Fn::GetAtt, "Functions").
 */
describe('ROS references (one floor for synth, lint and the sandbox)', () => {
  it('does not count a variable the Fn::Sub map defines as a reference, but counts what its value reads', () => {
    const value = { 'Fn::Sub': ['${Local}-${Param}', { Local: { Ref: 'Other' } }] };
    expect([...referencedNames(value)].sort()).toEqual(['Other', 'Param']);
  });

  it('reads the owner of Fn::GetAtt in its list and its dotted string forms', () => {
    expect([...referencedNames({ 'Fn::GetAtt': ['Server', 'InstanceId'] })]).toEqual(['Server']);
    expect([...referencedNames({ 'Fn::GetAtt': 'Server.InstanceId' })]).toEqual(['Server']);
  });

  it('counts Ref only as a one-key mapping: a mapping with more keys is data, not a call', () => {
    expect([...referencedNames({ Ref: 'Vpc', Note: 'not a call' })]).toEqual([]);
    expect([...referencedNames([{ Ref: 'Vpc' }])]).toEqual(['Vpc']);
  });

  it('reads ${Resource.Attr} as its resource and leaves the ${!Literal} escape alone', () => {
    expect([...referencedNames({ 'Fn::Sub': 'http://${Slb.IpAddress}/${!HOME}' })]).toEqual(['Slb']);
  });

  it('gives each variable its offset and keeps shell forms inside ${} as variables', () => {
    expect(subVariables('a ${X} ${!Y} ${v:-d}')).toEqual([
      { name: 'X', offset: 2 },
      { name: 'v:-d', offset: 13 },
    ]);
  });
});

describe('escapeForSub', () => {
  it('leaves no variable for Fn::Sub in escaped shell text, and the escape is the one subVariables skips', () => {
    const shell = 'echo ${HOME} ${arr[@]} $PLAIN ${!already}';
    expect(subVariables(shell).map((v) => v.name)).toEqual(['HOME', 'arr[@]']);
    expect(subVariables(escapeForSub(shell))).toEqual([]);
    expect(escapeForSub('${X}')).toBe('${!X}');
  });
});
