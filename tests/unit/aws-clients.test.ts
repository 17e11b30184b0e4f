import { endpointFor } from '#shared/aws-clients';

describe('AWS client factory endpoints', () => {
  it('prefers the service-specific variable, then AWS_ENDPOINT_URL, then the SDK default', () => {
    expect(endpointFor('SNS', { AWS_ENDPOINT_URL: 'http://edge:4566', AWS_ENDPOINT_URL_SNS: 'http://sns:1' })).toBe('http://sns:1');
    expect(endpointFor('DYNAMODB', { AWS_ENDPOINT_URL: 'http://edge:4566' })).toBe('http://edge:4566');
    expect(endpointFor('IOT_DATA_PLANE', {})).toBeUndefined();
    expect(endpointFor('IOT', { AWS_ENDPOINT_URL: '  ' })).toBeUndefined();
  });
});
