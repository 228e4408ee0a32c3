export { createTestEnvironment, deleteKeysWithPrefix, TEST_POSTGRES, TEST_REDIS_URL, type TestEnvironment } from './test-environment';
export { waitFor } from './wait-for';
