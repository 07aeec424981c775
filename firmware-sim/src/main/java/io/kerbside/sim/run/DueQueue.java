package io.kerbside.sim.run;

import java.util.Arrays;

/**
 * When each device reports next: a binary min-heap of (time offset in ms, device index) packed into
 * longs, so ties go to the lower device index and the order is the same on every run. Holds at most
 * one entry per device.
 */
final class DueQueue {
  static final int DEVICE_BITS = 22;
  static final long MAX_OFFSET_MS = (1L << (63 - DEVICE_BITS)) - 1;
  private static final long DEVICE_MASK = (1L << DEVICE_BITS) - 1;

  private long[] heap;
  private int size;

  DueQueue(int capacity) {
    heap = new long[Math.max(1, capacity)];
  }

  void add(long offsetMs, int device) {
    if (offsetMs < 0 || offsetMs > MAX_OFFSET_MS || device < 0 || device > DEVICE_MASK) {
      throw new IllegalArgumentException("offset " + offsetMs + " ms, device " + device);
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    long v = (offsetMs << DEVICE_BITS) | device;
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent] <= v) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = v;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The earliest entry's time offset; only when not empty. */
  long peekOffsetMs() {
    return heap[0] >>> DEVICE_BITS;
  }

  /** Removes the earliest entry and returns its device. */
  int pollDevice() {
    long top = heap[0];
    long last = heap[--size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (heap[child] >= last) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    if (size > 0) {
      heap[i] = last;
    }
    return (int) (top & DEVICE_MASK);
  }
}
