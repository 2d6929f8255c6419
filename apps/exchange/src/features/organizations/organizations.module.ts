import { Module } from '@nestjs/common';
import { OrganizationsController } from './organizations.controller';
import { RegisterOrganizationHandler, RotateKeysHandler } from './organizations.commands';

@Module({ controllers: [OrganizationsController], providers: [RegisterOrganizationHandler, RotateKeysHandler] })
export class OrganizationsModule {}
