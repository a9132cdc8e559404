/**
 * The built-in data mixers: which source each training example comes from. {@code weighted} draws
 * each example by weight (MM1's 45:45:10 of captions, interleaved documents and text), {@code
 * batch-weighted} each batch, {@code schedule} follows a schedule of mixes over training; their
 * state resumes exactly from a checkpoint.
 */
package org.mm1lab.plugins.data;
