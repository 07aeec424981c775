/** What every role of a process shares about running: how a part reports that it failed. */
package io.kerbside.core.runtime;
