/** A logical stream name as defineStream accepts it (no braces: it becomes a hash tag). */
export const STREAM_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.v[1-9][0-9]*$/;
/** A remote host as delivery reports it (with a port when not the default). */
export const HOST_NAME = /^[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$/;
/** A Redis stream entry id. */
export const ENTRY_ID = /^[0-9]{1,20}-[0-9]{1,20}$/;
