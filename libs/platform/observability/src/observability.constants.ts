/** Injection token: the service's name ("wallet"), used as the `service` log field and metrics label. */
export const SERVICE_NAME = Symbol('peerfed:service-name');
/** Injection token: the ReadinessIndicator[] that /health/ready checks. */
export const READINESS_INDICATORS = Symbol('peerfed:readiness-indicators');
