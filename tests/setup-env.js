// Node 20.19+ is supported for local development; the SDK's notice about Node 22 would drown test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// Unit tests assert behaviour, not log output.
process.env.LOG_LEVEL = 'SILENT';
