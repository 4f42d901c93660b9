// @peculiar/x509 2.x uses tsyringe, which needs the reflect polyfill loaded first.
import "reflect-metadata";
