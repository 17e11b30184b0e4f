import { baseConfig, endpointFor, regionFromEnv } from '#shared/clients/endpoint';
import { credentialsFromEnv, defaultProvider } from '#shared/clients/lambda-credentials';

describe('AWS client factory endpoints', () => {
  it('prefers the service-specific variable, then AWS_ENDPOINT_URL, then the SDK default', () => {
    expect(endpointFor('SNS', { AWS_ENDPOINT_URL: 'http://edge:4566', AWS_ENDPOINT_URL_SNS: 'http://sns:1' })).toBe('http://sns:1');
    expect(endpointFor('DYNAMODB', { AWS_ENDPOINT_URL: 'http://edge:4566' })).toBe('http://edge:4566');
    expect(endpointFor('IOT_DATA_PLANE', {})).toBeUndefined();
    expect(endpointFor('IOT', { AWS_ENDPOINT_URL: '  ' })).toBeUndefined();
  });

  it('builds every client with the region, the endpoint when one is set, and three attempts', () => {
    expect(baseConfig('SSM', { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SSM: 'http://ssm:1' })).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://ssm:1',
      maxAttempts: 3,
    });
    expect(baseConfig('SECRETS_MANAGER', { AWS_DEFAULT_REGION: 'ap-northeast-2' })).toEqual({ region: 'ap-northeast-2', maxAttempts: 3 });
    expect(regionFromEnv({})).toBe('us-east-1');
  });
});

describe('Lambda credentials (deployed bundles replace the default chain with it)', () => {
  it("reads the role's credentials Lambda puts in the environment", () => {
    expect(
      credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token', AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z' }),
    ).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2030-01-01T00:00:00Z') });
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKIA1', AWS_SECRET_ACCESS_KEY: 'secret' })).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 'secret' });
  });

  it('fails naming the missing variables instead of sending unsigned requests', async () => {
    expect(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'AKIA1' })).toThrow('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set');
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'from-env';
    process.env.AWS_SECRET_ACCESS_KEY = 'from-env-secret';
    try {
      await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'from-env', secretAccessKey: 'from-env-secret' });
    } finally {
      for (const [key, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
