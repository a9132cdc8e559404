/**
 * Small array helpers that every block writer needs and DJL lacks or gets subtly wrong; see {@link
 * org.mm1lab.toolkit.arrays.Scalars} before multiplying an array that needs gradients by a
 * constant, and {@link org.mm1lab.toolkit.arrays.Precision} before casting one to another type (and
 * for the rules of mixed-precision training).
 */
package org.mm1lab.toolkit.arrays;
