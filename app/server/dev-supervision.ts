/** The environment variable that gives the app server the pid of `npm run dev`'s launcher. */
export const DEV_SUPERVISOR_PID = "PAINPATH_DEV_SUPERVISOR_PID";
/** What the app server sends its launcher when it cannot start. */
export const APP_FAILED_SIGNAL = "SIGUSR2";
