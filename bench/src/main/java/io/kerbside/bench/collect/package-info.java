/**
 * The collection evaluation's parts: what a simulated week's ground truth says about the bins
 * (lifts, hours overflowing, worst fill), and the figures of one way of collecting.
 */
package io.kerbside.bench.collect;
