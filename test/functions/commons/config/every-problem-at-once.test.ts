import { DEMO_APP, demoEscalation } from '../../../../examples/demo-escalation';
import { configIssueLines } from '../../../helpers/config-issues';

const base = { app: 'shop', environments: { local: { baseUrl: 'http://127.0.0.1:4010' } } };
const step = (name: string, url: string, extra: Record<string, unknown> = {}) => ({
  name,
  request: { url },
  ...extra,
});

describe('every problem at once', () => {
  it('reports an unknown variable next to an unknown assertion type in another check', () => {
    // Prepare
    const input = {
      ...base,
      checks: [
        { name: 'a', steps: [step('s', '{{baseUrl}}/{{nope}}')] },
        { name: 'b', steps: [step('s', '{{baseUrl}}/', { assert: [{ type: 'statusCode', value: 200 }] })] },
      ],
    };
    // Act
    const lines = configIssueLines(input);
    // Assess
    expect(lines).toEqual([
      expect.stringMatching(/^checks\[1\]\.steps\[0\]\.assert\[0\]\.type: /),
      expect.stringMatching(/^checks\[0\]\.steps\[0\]\.request\.url: unknown variable '\{\{nope\}\}'/),
    ]);
  });

  it('reports an unknown variable and an unknown secret next to a bad duration and an unknown assertion in the same check', () => {
    // Prepare
    const input = {
      ...base,
      checks: [
        {
          name: 'a',
          timeout: 'soon',
          steps: [
            step('one', '{{baseUrl}}/{{nope}}', { assert: [{ type: 'statusCode', value: 200 }] }),
            step('two', '{{baseUrl}}/x', {
              request: { url: '{{baseUrl}}/x', headers: { a: '{{secrets.gone}}' } },
            }),
          ],
        },
      ],
    };
    // Act
    const lines = configIssueLines(input);
    // Assess
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^checks\[0\]\.timeout: invalid duration 'soon'/),
        expect.stringMatching(/^checks\[0\]\.steps\[0\]\.assert\[0\]\.type: /),
        expect.stringMatching(/^checks\[0\]\.steps\[0\]\.request\.url: unknown variable '\{\{nope\}\}'/),
        expect.stringMatching(
          /^checks\[0\]\.steps\[1\]\.request\.headers\.a: unknown secret 'secrets\.gone'/,
        ),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('keeps the paths of later list elements right when an earlier one does not parse', () => {
    // Prepare
    const input = {
      ...base,
      checks: ['not a check', { name: 'b', steps: ['not a step', step('t', '{{baseUrl}}/{{nope}}')] }],
    };
    // Act
    const lines = configIssueLines(input);
    // Assess
    expect(lines).toEqual([
      expect.stringMatching(/^checks\[0\]: /),
      expect.stringMatching(/^checks\[1\]\.steps\[0\]: /),
      expect.stringMatching(/^checks\[1\]\.steps\[1\]\.request\.url: unknown variable '\{\{nope\}\}'/),
    ]);
  });

  it('does not report a variable as unknown when the step extracting it has another problem', () => {
    // Prepare
    const input = {
      ...base,
      checks: [
        {
          name: 'a',
          steps: [
            step('one', '{{baseUrl}}/a', {
              timeout: 'soon',
              extract: [{ name: 'id', from: 'json', path: '$.id' }],
            }),
            step('two', '{{baseUrl}}/b/{{id}}'),
          ],
        },
      ],
    };
    // Act
    const lines = configIssueLines(input);
    // Assess
    expect(lines).toEqual([
      expect.stringMatching(/^checks\[0\]\.steps\[0\]\.timeout: invalid duration 'soon'/),
    ]);
  });

  it('reports escalation and KPI reference problems next to a check that does not parse', () => {
    // Prepare
    const input = {
      ...base,
      app: DEMO_APP,
      ...demoEscalation,
      escalation: {
        ...demoEscalation.escalation,
        critical: { levels: [{ after: '0s', channels: ['ghost'] }] },
      },
      kpis: [{ name: 'k', datasource: 'nowhere', sql: 'SELECT 1 AS x', values: ['x'] }],
      checks: [{ name: 'a', schedule: 'often', steps: [step('s', '{{baseUrl}}/', { timeout: 'soon' })] }],
    };
    // Act
    const lines = configIssueLines(input);
    // Assess
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^checks\[0\]\.steps\[0\]\.timeout: invalid duration 'soon'/),
        expect.stringMatching(/^checks\[0\]\.schedule: invalid schedule 'often'/),
        "escalation.critical.levels[0].channels[0]: unknown channel 'ghost'",
        expect.stringMatching(/^kpis\[0\]\.datasource: unknown datasource 'nowhere'/),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('reports a value that does not parse once, not also as a missing reference', () => {
    // Act
    const lines = configIssueLines({ ...base, deploy: { environment: 'not a name!' } });
    // Assess
    expect(lines).toEqual([expect.stringMatching(/^deploy\.environment: use 1-64 letters/)]);
  });

  it.each([
    [
      'values of the wrong type everywhere',
      { app: 5, environments: 'x', checks: 'x', kpis: {}, channels: [] },
    ],
    [
      'checks and steps of the wrong shape',
      {
        ...base,
        checks: [
          null,
          { name: 'a', steps: 'x' },
          { name: 'b', steps: [{ name: 's', request: { url: 5 }, assert: 5 }] },
        ],
      },
    ],
    [
      'escalation, KPI and alarm parts of the wrong shape',
      {
        ...base,
        channels: { x: 'slack' },
        escalation: { critical: 'x', warning: { levels: 'x' }, info: { levels: [{ channels: 'x' }] } },
        kpis: [{ name: 'k', sql: 5, values: 'x' }],
        alarms: [{ type: 'serviceDown', checks: 'x', suppressedBy: 'y' }],
        defaults: 'x',
      },
    ],
  ])('reports problems, never a crash, for %s', (_case, input) => {
    // Act
    const lines = configIssueLines(input);
    // Assess (configIssueLines rethrows anything but a ConfigValidationError)
    expect(lines.length).toBeGreaterThan(0);
  });
});
