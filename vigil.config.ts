import { defineConfig, type StepInput } from '@vigil-oss/vigil';
import { demoEscalation } from './examples/demo-escalation';
import { demoHeartbeats } from './examples/demo-heartbeats';
import { demoKpis } from './examples/demo-kpis';
import { demoObservability } from './examples/demo-observability';
import { demoOnCall } from './examples/demo-oncall';

/** Registers a throw-away user; its id and token feed later steps. */
const registerSyntheticUser: StepInput = {
  name: 'register',
  request: {
    method: 'POST',
    url: '{{baseUrl}}/api/users',
    json: {
      email: 'synthetic+{{$uuid}}@vigil.example.com',
      password: 'Synthetic-1!',
      name: 'Vigil Synthetic',
    },
  },
  extract: [
    { name: 'userId', from: 'json', path: '$.id' },
    { name: 'token', from: 'json', path: '$.token' },
  ],
  assert: [
    { type: 'status', value: 201 },
    { type: 'jsonPath', path: '$.token', op: 'exists' },
  ],
};

/** Removes the synthetic user again (teardown: runs even when a step failed). */
const deleteSyntheticUser: StepInput = {
  name: 'delete_user',
  request: {
    method: 'DELETE',
    url: '{{baseUrl}}/api/users/{{userId}}',
    headers: { authorization: 'Bearer {{token}}' },
  },
  assert: [{ type: 'status', value: 204 }],
};

/**
 * Vigil's demo config: the seeds' flight-booking platform. Health probes follow the seeds' live/ready/startup
 * contract; the three critical paths (flight_search, user_registration, booking_creation) are multi-step
 * journeys. `npm start` runs it against the bundled demo API (examples/flight-api) on 127.0.0.1:4010.
 */
export const config = defineConfig({
  $schema: './schema/vigil.schema.json',
  app: 'flight-booking',
  environments: {
    local: { baseUrl: 'http://127.0.0.1:4010' },
    prod: { baseUrl: 'https://api.flights.example.com' },
  },
  deploy: { environment: 'prod', region: 'us-east-1' },
  defaults: {
    schedule: '1m',
    locations: ['us-east-1'],
    team: 'platform',
    timeout: '30s',
    stepTimeout: '5s',
    degradedAfter: '1s',
    failedAfter: '5s',
    retry: { strategy: 'exponential', maxAttempts: 2, delay: '500ms', maxDelay: '2s' },
  },
  checkGroups: [
    {
      name: 'health',
      description: 'Liveness, readiness and startup probes',
      severity: 'critical',
      runbookUrl: 'https://runbooks.example.com/flight-booking/service-down',
    },
    {
      name: 'critical-paths',
      description: 'The user journeys that make money',
      severity: 'critical',
      team: 'backend',
      locations: ['us-east-1', 'eu-west-1'],
      runbookUrl: 'https://runbooks.example.com/flight-booking/critical-path',
    },
  ],
  checks: [
    { type: 'health', name: 'health_live', group: 'health', url: '{{baseUrl}}/health/live' },
    { type: 'health', name: 'health_ready', group: 'health', url: '{{baseUrl}}/health/ready' },
    {
      type: 'health',
      name: 'health_startup',
      group: 'health',
      url: '{{baseUrl}}/health/startup',
      schedule: '5m',
    },
    {
      name: 'flight_search',
      group: 'critical-paths',
      description: 'Search LAX -> JFK and get priced flights with seats',
      steps: [
        {
          name: 'search',
          request: { url: '{{baseUrl}}/api/flights?from=LAX&to=JFK&date=2024-06-01' },
          assert: [
            { type: 'status', value: 200 },
            { type: 'header', name: 'content-type', op: 'contains', value: 'application/json' },
            { type: 'jsonPath', path: '$.count', op: '>', value: 0 },
            { type: 'jsonPath', path: '$.flights[0].from', value: 'LAX' },
            { type: 'jsonPath', path: '$.flights[0].price', op: '>', value: 0 },
            { type: 'responseTime', value: '2s' },
          ],
        },
      ],
    },
    {
      name: 'user_registration',
      group: 'critical-paths',
      description: 'Register a new user, then remove it',
      steps: [registerSyntheticUser],
      teardown: [deleteSyntheticUser],
    },
    {
      name: 'booking_creation',
      group: 'critical-paths',
      description: 'Search -> pick a flight -> register -> book -> cancel',
      setup: [registerSyntheticUser],
      steps: [
        {
          name: 'search',
          request: { url: '{{baseUrl}}/api/flights?from=LAX&to=JFK&date=2024-06-01' },
          extract: [{ name: 'flightId', from: 'json', path: '$.flights[0].id' }],
          assert: [
            { type: 'status', value: 200 },
            { type: 'jsonPath', path: '$.count', op: '>', value: 0 },
          ],
        },
        {
          name: 'book',
          request: {
            method: 'POST',
            url: '{{baseUrl}}/api/bookings',
            headers: { authorization: 'Bearer {{token}}' },
            json: { flightId: '{{flightId}}', passengers: [{ name: 'Vigil Synthetic' }] },
          },
          extract: [{ name: 'bookingId', from: 'json', path: '$.id' }],
          assert: [
            { type: 'status', value: 201 },
            { type: 'jsonPath', path: '$.status', value: 'confirmed' },
            { type: 'jsonPath', path: '$.totalAmount', op: '>', value: 0 },
          ],
          degradedAfter: '1500ms',
        },
      ],
      teardown: [
        {
          name: 'cancel_booking',
          request: {
            method: 'DELETE',
            url: '{{baseUrl}}/api/bookings/{{bookingId}}',
            headers: { authorization: 'Bearer {{token}}' },
          },
          assert: [{ type: 'status', value: 204 }],
        },
        deleteSyntheticUser,
      ],
    },
  ],
  ...demoKpis,
  ...demoHeartbeats,
  ...demoObservability,
  ...demoEscalation,
  ...demoOnCall,
});
