export { BaseEnv, LOG_LEVELS, NODE_ENVS, type LogLevelName, type NodeEnv } from './base-env.dto';
export { ConfigModule } from './config.module';
export { ConfigValidationError, type ConfigProblem } from './config-validation.exception';
export { describeConfig, type ConfigDescription } from './describe-config.util';
export { BooleanFlag, DevelopmentOnlyFlag, HostList, HostPortList, IntInRange, OneOf, Pattern, ServiceUrl } from './env-rules.util';
export { DEV_KEY_ENCRYPTION_KEY, FederationEnv } from './federation-env.dto';
export { loadConfig, readEnvironment, type EnvSource } from './load-config.util';
export { isSecret, maskUrlCredentials, Secret } from './mask.util';
export { redisEndpointOf, type RedisEndpoint } from './redis-endpoint.util';
