// aws-local-stepfunctions needs Promise.withResolvers (Node 22+); local runs and tests use Node 20.
import '../../bin/polyfills';
