import { FaultsValidationError, FlightApiArgsError, parseFlightApiArgs } from '../../../examples/flight-api';

describe('parseFlightApiArgs', () => {
  it('defaults to 127.0.0.1:4010 with no faults', () => {
    // Act
    const args = parseFlightApiArgs([], {});

    // Assess
    expect(args).toEqual({ port: 4010, host: '127.0.0.1', faults: {}, help: false });
  });

  it('reads --port and --host, as separate or inline values', () => {
    // Act
    const separate = parseFlightApiArgs(['--port', '0', '--host', '0.0.0.0'], {});
    const inline = parseFlightApiArgs(['--port=8080'], {});

    // Assess
    expect(separate).toMatchObject({ port: 0, host: '0.0.0.0' });
    expect(inline.port).toBe(8080);
  });

  it('turns --fault flags into faults, merging repeated ones', () => {
    // Act
    const args = parseFlightApiArgs(
      [
        '--fault',
        'down=redis',
        '--fault=down=payments,redis',
        '--fault',
        'latency=800',
        '--fault',
        'POST /api/bookings=500',
      ],
      {},
    );

    // Assess
    expect(args.faults).toEqual({
      down: ['redis', 'payments'],
      latencyMs: 800,
      routes: { 'POST /api/bookings': { status: 500 } },
    });
  });

  it('starts from VIGIL_DEMO_FAULTS and applies --fault flags on top', () => {
    // Act
    const args = parseFlightApiArgs(['--fault', 'down=database'], {
      VIGIL_DEMO_FAULTS: '{"down":["redis"],"latencyMs":100}',
    });

    // Assess
    expect(args.faults).toEqual({ down: ['redis', 'database'], latencyMs: 100 });
  });

  it.each([
    [['--port', 'abc'], '--port must be a port number'],
    [['--port', '70000'], '--port must be a port number'],
    [['--port'], '--port needs a value'],
    [['--fault', 'slow'], "--fault 'slow' is not understood"],
    [['--fault', 'latency=fast'], "--fault 'latency=fast' is not understood"],
    [['--verbose'], "unknown argument '--verbose'"],
  ])('refuses %j with a FlightApiArgsError saying why', (argv, message) => {
    // Act
    const act = () => parseFlightApiArgs(argv, {});

    // Assess
    expect(act).toThrow(FlightApiArgsError);
    expect(act).toThrow(message);
  });

  it('refuses an unknown dependency with the path of the problem', () => {
    // Act
    const act = () => parseFlightApiArgs(['--fault', 'down=mongo'], {});

    // Assess
    expect(act).toThrow(FaultsValidationError);
    expect(act).toThrow('down[0]: must be one of database, redis, payments');
  });

  it('refuses VIGIL_DEMO_FAULTS that is not JSON, or not valid faults, naming the variable', () => {
    // Act
    const notJson = () => parseFlightApiArgs([], { VIGIL_DEMO_FAULTS: '{down:' });
    const invalid = () => parseFlightApiArgs([], { VIGIL_DEMO_FAULTS: '{"latency":5}' });

    // Assess
    expect(notJson).toThrow(FlightApiArgsError);
    expect(notJson).toThrow('VIGIL_DEMO_FAULTS is not valid JSON');
    expect(invalid).toThrow(FaultsValidationError);
    expect(invalid).toThrow('VIGIL_DEMO_FAULTS are invalid: latency: unknown field');
  });

  it('recognises --help', () => {
    // Act
    const args = parseFlightApiArgs(['--help'], {});

    // Assess
    expect(args.help).toBe(true);
  });
});
