/** Benchmarks that print their figures against in-run baselines. */
package io.kerbside.bench;
